"""Publication dates of documents and ISO values of DATE entities: one calendar for both."""
