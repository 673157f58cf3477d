"""Agency feeds: structured extracts (CSV, Excel, fixed-width, JSON Lines) read through a
declarative mapping (feeds/*.yaml) into verified records, row by row, with the reason a bad row
is quarantined."""
