"""spaCy pipelines, canonical names, place labels: everything about entity mentions."""
