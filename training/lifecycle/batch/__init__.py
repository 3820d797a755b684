"""Batch scoring of an export: ``screener score --engine local|spark``.

==========  ===========================================================================
``run``     ``score_export`` (the verb as a function), ``BatchResult``, the checks
``chunk``   one piece of an export scored into an Arrow batch: the output schema
``local``   the local engine: pieces streamed through this process into one Parquet file
``spark``   the Spark engine: ``mapInArrow`` over the verified model on ``SPARK_MASTER``
==========  ===========================================================================

Nothing is imported here: PySpark is an extra, imported only when the Spark engine runs.
"""
