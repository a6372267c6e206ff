-- grain: one row per body paragraph of a loaded article
-- key: (article_id, position), unique, but no primary key (see warehouse/sql/queries/duplicate_keys.sql)
-- line_first..line_last: the text dump's lines it was built from (0-based, as boilerplate.position);
-- block: the line of the HTML page's text rendering it is. Null where not known.
create table if not exists paragraphs (
    article_id varchar not null,
    doc_id     varchar not null,
    position   integer not null,
    text       varchar not null,
    line_first integer,
    line_last  integer,
    block      integer
);
