"""Qt-free workflow state of the UI's pages: one explicit object per page, its steps, transitions and refusals."""
