"""LibreOffice as a test harness: recalculate workbooks headless and call xlcredit's Excel
functions from Calc formulas through a Basic bridge (see driver.py)."""
