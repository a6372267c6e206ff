select reason, lines, documents, example from boilerplate_reasons;
