"""Every read of evaluation, already narrowed to what the acting person may see; one module per part."""
