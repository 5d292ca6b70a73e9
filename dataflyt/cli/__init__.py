"""The command line: the ``dataflyt`` command (``main``), its options, tables and progress."""
