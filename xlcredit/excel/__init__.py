"""What only Excel uses: the Excel function declarations (``udf``) and the add-in builder,
installer and doctor (``addin``)."""
