# One page length for every paged list, so a long unit or cycle pages the same way everywhere.
PAGE_SIZE = 50
