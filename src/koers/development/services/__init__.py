"""Writes of the development room, one module per entity; web and API call these.

- ``catalogue``: seeding from the sources, clusters, competencies, development actions,
  the recommendation matrix and competency profiles (HR);
- ``preparations``: the self-scan and the three preparation forms, private until shared;
- ``plans``: the POP, its rows and rounds, and signing;
- ``demand``: HR marks the actions asked of it as arranged;
- ``training_plans``: the organisation's training plans (GOP), kept by HR.

Each is keyword-only and typed, one transaction, with an audit event.
"""

from koers.development.services import catalogue, demand, plans, preparations, training_plans

__all__ = ["catalogue", "demand", "plans", "preparations", "training_plans"]
