"""The register of children (sổ theo dõi): the list, one child's record, duplicates and imports."""
