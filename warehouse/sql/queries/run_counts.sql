-- what the run being loaded adds (read inside the load transaction, before its runs row is written)
select
    (select count(*) from stg_documents) as documents,
    (select count(*) from stg_articles) as articles,
    (select count(*) from stg_quarantine) as quarantined,
    (select count(*) from stg_boilerplate) as boilerplate;
