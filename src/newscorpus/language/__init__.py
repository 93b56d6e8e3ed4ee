"""Language detection: langdetect, with close calls settled by script and function words."""
