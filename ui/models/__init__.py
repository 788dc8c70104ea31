"""Qt item models that present service DTOs to views."""
