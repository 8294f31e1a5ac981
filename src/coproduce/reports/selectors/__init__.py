"""Every read of the reports app, one module per part, narrowed to what the person may see."""
