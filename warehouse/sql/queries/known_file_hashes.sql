select distinct file_sha256 from documents;
