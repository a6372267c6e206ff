-- grain: one row per clustered article; key: article_id. Copies of one story (syndicated, re-saved, edited,
-- re-headlined) share a cluster_id: the article_id of the cluster's first article (it stays when that article
-- goes). similarity: estimated Jaccard of the body shingles to the cluster's first article (1 for the first).
create table if not exists story_clusters (
    cluster_id varchar not null,
    article_id varchar primary key,
    similarity double not null,
    first_seen timestamptz not null
);

-- grain: one row per clustered article: its MinHash signature (num_perm little-endian uint32) and the scheme
-- it was computed under (rules/clusters.toml); kept so later runs match new articles without re-reading bodies
create table if not exists story_signatures (
    article_id varchar primary key,
    scheme     varchar not null,
    signature  blob not null
);

-- grain: one row per LSH band of a clustered article: two articles sharing a (band, key) are candidates
create table if not exists story_bands (
    band       integer not null,
    key        bigint not null,
    article_id varchar not null
);

-- grain: one counted article (every loaded article once clustered): the md5 (low 64 bits) of each of its
-- distinct paragraphs, kept so that when it goes its paragraphs leave story_paragraph_counts
create table if not exists story_paragraph_hashes (
    article_id varchar not null,
    site       varchar,
    hashes     ubigint[] not null
);

-- grain: one paragraph text (by hash) of one site: how many counted articles of the site hold it; a paragraph
-- in template_min_articles of them is the site's template (warehouse/sql/clusters/08_template.sql)
create table if not exists story_paragraph_counts (
    site       varchar not null,
    hash       ubigint not null,
    articles   integer not null
);
