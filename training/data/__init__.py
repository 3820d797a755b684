"""Contact data: the contract, reading and validating exports, and the synthetic generator.

Data flows one way: an export is read as received (``read``), checked column by column
(``checks``) and split into valid and quarantined rows (``validate``), which ``quarantine``
writes beside the export with a printable report. The raw export is never rewritten.

==================  ==================================================================
``contract``        the contact record: columns, enums, the label rule
``read``            ``read_raw``, ``iter_raw`` (in pieces), ``ContractError``, ``echo``
``checks``          the checks of one contract column
``validate``        ``validate_frame``, ``load_contacts``, ``Issue``, ``ValidationReport``
``quarantine``      ``validate_file``, ``output_paths``, ``render_report``
``generate``        synthetic contacts (``generate_frame``, ``write_contacts``, ...)
==================  ==================================================================

Nothing is imported here, so that reading the contract never loads pandas or pyarrow.
"""
