"""Excel-function declarations (xlwings decorators over one engine call each).

``udfs/xlcredit_udfs.py`` re-exports every function from these modules: that top-level
module is what the add-in's ``UDF Modules = xlcredit_udfs`` setting imports.
"""
