select doc_id from documents;
