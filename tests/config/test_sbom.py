"""bin/sbom: the bill of materials names every Python package the app installs, at the
version and with the hashes of the lock, and every front-end package the pages load."""

import json
import subprocess
from pathlib import Path

from tests.config.test_lock import ROOT, pins


def test_the_bill_of_materials_lists_what_the_app_ships_at_its_locked_versions(tmp_path):
    result = subprocess.run([ROOT / "bin" / "sbom", tmp_path],  # noqa: S603 (our own script)
                            capture_output=True, text=True,
                            timeout=300, check=False)
    assert result.returncode == 0, result.stderr

    python = json.loads((tmp_path / "python.cdx.json").read_text())
    assert python["bomFormat"] == "CycloneDX"
    assert python["metadata"]["component"]["name"] == "koers"
    listed = {component["name"]: component for component in python["components"]}
    locked = pins("app.txt")
    assert {name: component["version"] for name, component in listed.items()} == {
        name: version for name, (version, _) in locked.items()}
    django = listed["django"]
    assert django["purl"] == f"pkg:pypi/django@{locked['django'][0]}"
    assert django["externalReferences"][0]["hashes"]

    npm = json.loads((tmp_path / "npm.cdx.json").read_text())
    front_end = {component["name"]: component["version"] for component in npm["components"]}
    lock = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    for name in json.loads((ROOT / "package.json").read_text())["dependencies"]:
        assert front_end[name] == lock[str(Path("node_modules") / name)]["version"]
