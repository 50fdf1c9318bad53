"""Wagtail's database search backend with Chinese word segmentation, on SQLite and PostgreSQL.

The stock backend splits text only at spaces and punctuation, so a Chinese title is one long
"word" and 宪法 never finds 国家宪法日宣传活动. Here every indexed value is segmented with jieba
(search mode: words and their sub-words, space-separated) before SQLite FTS5 or PostgreSQL's
``simple`` text search config sees it, and every string query is segmented the same way into
words that must all match. Settings::

    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "website.search_backend"}}

After changing the user dictionary, run ``python manage.py update_index``.

modelsearch creates its per-object indexer inside ``add_items`` by module-level name, so the two
``add_items`` methods below repeat the upstream ones (modelsearch 1.3) with the indexer swapped.
``tests/website/test_search_backend_surface.py`` fingerprints those upstream methods and checks every private
name used here, so an upgrade of modelsearch fails there by name.
"""

from functools import cache

from modelsearch.backends.database.fallback import DatabaseSearchBackend, DatabaseSearchQueryCompiler
from modelsearch.utils import get_content_type_pk, get_descendants_content_types_pks

from django.db import connection
from django.db.models import BigIntegerField, CharField, F, Value
from django.db.models.expressions import Col
from django.db.models.functions import Cast, Concat, Extract, NullIf, StrIndex
from django.db.models.lookups import Lookup

from website.segmentation import query_terms, segment_for_index

# How many matches the SQLite backend orders by relevance; the rest follow, newest first.
RANKED_MAX = 1000


class SegmentingIndexerMixin:
    def prepare_value(self, value):
        return segment_for_index(super().prepare_value(value))


class OrmFiltersMixin:
    """For query compilers: a filter on a computed value passes the index check (the ORM applies it).

    modelsearch checks that a searched queryset filters only on indexed fields, which a search engine
    would need; it fails with AttributeError on a filter over an annotation, such as the usage-count
    filter of Wagtail's image and document libraries (a 500 when searching with it). These backends
    search with the ORM, which applies every filter of the queryset itself.
    """

    def _get_filters_from_where_node(self, where_node, check_only=False):
        if isinstance(where_node, Lookup) and not isinstance(where_node.lhs, Col | Extract):
            return None
        return super()._get_filters_from_where_node(where_node, check_only=check_only)


class SegmentingSearchMixin:
    """Segment string queries into the words they contain; an empty result for a query of no words."""

    def search(self, query, model_or_queryset, *args, **kwargs):
        if isinstance(query, str):
            query = " ".join(query_terms(query))
        return super().search(query, model_or_queryset, *args, **kwargs)

    def autocomplete(self, query, model_or_queryset, *args, **kwargs):
        if isinstance(query, str):
            query = " ".join(query_terms(query))
        return super().autocomplete(query, model_or_queryset, *args, **kwargs)


@cache
def _sqlite_index_class():
    """The SQLite index, storing every field's text segmented into words."""
    from modelsearch.backends.database.sqlite import sqlite

    IndexEntry = sqlite.IndexEntry

    class SegmentingObjectIndexer(SegmentingIndexerMixin, sqlite.ObjectIndexer):
        pass

    class SegmentingSQLiteIndex(sqlite.SQLiteIndex):
        def add_items(self, model, objs):
            if not model.get_search_fields():
                return
            indexers = [SegmentingObjectIndexer(obj, self.backend) for obj in objs]
            if not indexers:
                return
            content_type_pk = get_content_type_pk(model)
            data = {indexer.id: (indexer.title, indexer.autocomplete, indexer.body) for indexer in indexers}
            entries = self.entries.filter(content_type_id=content_type_pk)
            indexed = frozenset(entries.filter(object_id__in=data.keys()).values_list("object_id", flat=True))
            for object_id in indexed:
                title, autocomplete, body = data[object_id]
                entries.filter(object_id=object_id).update(title=title, autocomplete=autocomplete, body=body)
            self.entries.bulk_create(
                IndexEntry(
                    content_type_id=content_type_pk,
                    object_id=object_id,
                    title=title,
                    autocomplete=autocomplete,
                    body=body,
                )
                for object_id, (title, autocomplete, body) in data.items()
                if object_id not in indexed
            )
            self._refresh_title_norms()

    return SegmentingSQLiteIndex


@cache
def _sqlite_rank_once_compiler_class():
    from modelsearch.backends.database.sqlite import sqlite

    class RankOnceSQLiteQueryCompiler(OrmFiltersMixin, sqlite.SQLiteSearchQueryCompiler):
        """Orders results by relevance ranked in one pass over the full-text index.

        Upstream gives each result its score with a correlated subquery that runs the whole MATCH
        again, and FTS5's bm25() rereads every term's document list each time: quadratic in the
        matches (2 s for a query matching 500 of 2,000 explainers). Here the matches are ranked once
        and the results ordered by that rank; beyond the best ``RANKED_MAX`` they follow newest first.
        """

        def search(self, config, start, stop, score_field=None):
            query = sqlite.normalize(self.query)
            if (
                not self.order_by_relevance
                or score_field is not None
                or isinstance(query, sqlite.MatchAll | sqlite.Not)
            ):
                return super().search(config, start, stop, score_field=score_field)
            self.order_by_relevance = False
            try:
                queryset = super().search(config, None, None)  # the matching objects, unordered
            finally:
                self.order_by_relevance = True
            # The object's place in ",12,7,31," (the best matches in order), or NULL when not among them.
            key = Concat(Value(","), Cast("pk", CharField()), Value(","))
            rank = NullIf(StrIndex(Value(self._ranked_ids(query, config)), key), 0)
            queryset = queryset.annotate(_relevance_rank=rank)
            return queryset.order_by(F("_relevance_rank").asc(nulls_last=True), "-pk")[start:stop]

        def _ranked_ids(self, query, config) -> str:
            """The best matches' ids by relevance as ",12,7,31,", ranked once per search (for its count and page)."""
            if getattr(self, "_ranked", None) is None:
                match = sqlite.MatchExpression(
                    self.fields or self.FTS_TABLE_FIELDS, self.build_search_query(query, config=config)
                )
                ranked = (
                    sqlite.SQLiteFTSIndexEntry.objects.filter(match)
                    .filter(index_entry__content_type__in=get_descendants_content_types_pks(self.queryset.model))
                    .annotate(score=self._build_rank_expression(self.get_search_vectors(), config))
                    .order_by("score", Cast("index_entry__object_id", BigIntegerField()).desc())
                    .values_list("index_entry__object_id", flat=True)[:RANKED_MAX]
                )
                self._ranked = ",".join(["", *dict.fromkeys(ranked), ""])
            return self._ranked

    return RankOnceSQLiteQueryCompiler


@cache
def _sqlite_backend_class():
    from modelsearch.backends.database.sqlite import sqlite

    class AutocompleteQueryCompiler(OrmFiltersMixin, sqlite.SQLiteAutocompleteQueryCompiler):
        pass

    class SegmentingSQLiteSearchBackend(SegmentingSearchMixin, sqlite.SQLiteSearchBackend):
        index_class = _sqlite_index_class()
        query_compiler_class = _sqlite_rank_once_compiler_class()
        autocomplete_query_compiler_class = AutocompleteQueryCompiler

    return SegmentingSQLiteSearchBackend


@cache
def _postgres_backend_class():
    from modelsearch.backends.database.postgres import postgres

    from django.db.models.sql.subqueries import InsertQuery

    IndexEntry = postgres.IndexEntry

    class SegmentingObjectIndexer(SegmentingIndexerMixin, postgres.ObjectIndexer):
        pass

    class SegmentingPostgresIndex(postgres.PostgresIndex):
        def add_items(self, model, objs):
            if not model.get_search_fields():
                return
            indexers = [SegmentingObjectIndexer(obj, self.backend) for obj in objs]
            if not indexers:
                return
            content_type_pk = get_content_type_pk(model)
            compiler = InsertQuery(IndexEntry).get_compiler(connection=self.write_connection)
            rows_sql, params = [], []
            for indexer in indexers:
                params.extend((content_type_pk, indexer.id))
                vectors = []
                for field_name in ("title", "autocomplete", "body"):
                    value = compiler.prepare_value(IndexEntry._meta.get_field(field_name), getattr(indexer, field_name))
                    sql, value_params = value.as_sql(compiler, self.write_connection)
                    vectors.append(sql)
                    params.extend(value_params)
                params.extend((indexer.title_text, indexer.body_text))
                rows_sql.append(f"(%s, %s, {vectors[0]}, {vectors[1]}, {vectors[2]}, 1.0, %s, %s)")
            table = IndexEntry._meta.db_table
            with self.write_connection.cursor() as cursor:
                cursor.execute(
                    f"""
                    INSERT INTO {table} (content_type_id, object_id, title, autocomplete, body, title_norm,
                                         title_text, body_text)
                    (VALUES {", ".join(rows_sql)})
                    ON CONFLICT (content_type_id, object_id)
                    DO UPDATE SET title = EXCLUDED.title, title_norm = 1.0, autocomplete = EXCLUDED.autocomplete,
                                  body = EXCLUDED.body, title_text = EXCLUDED.title_text,
                                  body_text = EXCLUDED.body_text
                    """,  # nosec B608: the table is our model's; every value is a %s parameter
                    params,
                )
            self._refresh_title_norms()

    class SearchQueryCompiler(OrmFiltersMixin, postgres.PostgresSearchQueryCompiler):
        pass

    class AutocompleteQueryCompiler(OrmFiltersMixin, postgres.PostgresAutocompleteQueryCompiler):
        pass

    class SegmentingPostgresSearchBackend(SegmentingSearchMixin, postgres.PostgresSearchBackend):
        index_class = SegmentingPostgresIndex
        query_compiler_class = SearchQueryCompiler
        autocomplete_query_compiler_class = AutocompleteQueryCompiler

        def __init__(self, params):
            # Words are already segmented: no stemming or stop words, whatever the server's default config.
            super().__init__({"SEARCH_CONFIG": "simple", **params})

    return SegmentingPostgresSearchBackend


class FallbackQueryCompiler(OrmFiltersMixin, DatabaseSearchQueryCompiler):
    pass


class SegmentingFallbackSearchBackend(SegmentingSearchMixin, DatabaseSearchBackend):
    """Other databases: substring matching of each word, which needs no segmented index."""

    query_compiler_class = FallbackQueryCompiler
    autocomplete_query_compiler_class = FallbackQueryCompiler


def SearchBackend(params):
    if connection.vendor == "postgresql":
        return _postgres_backend_class()(params)
    if connection.vendor == "sqlite":
        from modelsearch.backends.database.sqlite.utils import fts5_available, fts_table_exists

        if fts5_available() and fts_table_exists():
            return _sqlite_backend_class()(params)
    return SegmentingFallbackSearchBackend(params)
