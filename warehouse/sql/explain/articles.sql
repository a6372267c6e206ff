-- the articles of one document ($doc), loaded or quarantined at validation, with their state
select article_id, position, title, 'loaded' as state, null as reason
from articles
where doc_id = $doc
union all
select article_id, cast(record ->> '$.position' as integer), record ->> '$.title', 'quarantined', reason
from quarantine
where doc_id = $doc and article_id is not null
order by 2;
