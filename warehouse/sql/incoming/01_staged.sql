-- The run's batch files in the staging folder (getvariable('stage')), as written by the workers.
-- `part` names the batch file a row comes from (part-NNNNNN-CCCC.parquet); the first part that holds a document owns it.
create or replace temp view staged_documents as
select * exclude (filename), parse_filename(filename) as part
from read_parquet(getvariable('stage') || '/documents/*.parquet', filename = true);

create or replace temp view staged_articles as
select * exclude (filename), parse_filename(filename) as part
from read_parquet(getvariable('stage') || '/articles/*.parquet', filename = true);

create or replace temp view staged_paragraphs as
select * exclude (filename), parse_filename(filename) as part
from read_parquet(getvariable('stage') || '/paragraphs/*.parquet', filename = true);

create or replace temp view staged_captions as
select * exclude (filename), parse_filename(filename) as part
from read_parquet(getvariable('stage') || '/captions/*.parquet', filename = true);

create or replace temp view staged_quotes as
select * exclude (filename), parse_filename(filename) as part
from read_parquet(getvariable('stage') || '/quotes/*.parquet', filename = true);

create or replace temp view staged_boilerplate as
select * exclude (filename), parse_filename(filename) as part
from read_parquet(getvariable('stage') || '/boilerplate/*.parquet', filename = true);

create or replace temp view staged_quarantine as
select * exclude (filename), parse_filename(filename) as part
from read_parquet(getvariable('stage') || '/quarantine/*.parquet', filename = true);

create or replace temp view incoming_inbox_files as
select * from read_parquet(getvariable('stage') || '/inbox_files/*.parquet');
