"""The spaCy pipeline: tokenizer rules for typewritten forms, rule entities, the trained NER."""
