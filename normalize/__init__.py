"""Vietnamese plan knowledge: text repair, header mapping, rows to tasks, field parsing."""
