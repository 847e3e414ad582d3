Attribute VB_Name = "xlcredit_functions"
' xlcredit Excel functions: one wrapper per Python function of the UDF module, written by
' xlwings' own generator (xlwings.udfs.generate_vba_wrapper) at "xlcredit addin build".
' Do not edit in Excel: rebuild the add-in instead.
#Const App = "Microsoft Excel" 'Adjust when using outside of Excel
'@@WRAPPERS@@
