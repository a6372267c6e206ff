insert into documents by name select * from stg_documents;
insert into articles by name select * from stg_articles;
insert into paragraphs by name select * from stg_paragraphs;
insert into captions by name select * from stg_captions;
insert into quotes by name select * from stg_quotes;
insert into boilerplate by name select * from stg_boilerplate;
insert into quarantine by name select * from stg_quarantine;
insert into dq_results by name select * from stg_dq_results;
insert or replace into inbox_files by name select * from incoming_inbox_files;
