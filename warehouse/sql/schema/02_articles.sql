-- grain: one row per article that passed validation; key: article_id (stable across runs)
create table if not exists articles (
    article_id      varchar primary key,
    doc_id          varchar not null,
    source_file     varchar not null,
    position        integer not null,
    title           varchar,
    subtitle        varchar,
    authors         varchar[] not null,
    published       date,
    published_raw   varchar,
    site            varchar,
    url             varchar,
    language        varchar,
    body            varchar not null,
    word_count      integer not null,
    paragraph_count integer not null,
    run_id          varchar not null,
    dateline        varchar,
    domain          varchar
);
