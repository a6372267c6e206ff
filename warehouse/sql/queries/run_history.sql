-- (articles, documents) of the last runs that extracted any: the articles suite's yield-per-document baseline
select articles_extracted, documents_read
from runs
where articles_extracted > 0 and documents_read > 0
order by started_at desc
limit 10;
