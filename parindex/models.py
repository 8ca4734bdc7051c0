"""PAR INDEX models (filled by the PAR INDEX issue)."""
