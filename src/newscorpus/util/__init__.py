"""Small helpers every concern uses: hashing, atomic files, logging, YAML."""
