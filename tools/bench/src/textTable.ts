/** A plain-text table: the first column left-aligned, the others right-aligned, columns padded to fit. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column] as number) : cell.padStart(widths[column] as number)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** A number with a sensible number of digits for a table cell; `–` for none. */
export function formatNumber(value: number | undefined, digits?: number): string {
  if (value === undefined || Number.isNaN(value)) return '–';
  const fraction = digits ?? (Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2);
  return value.toLocaleString('en-GB', { minimumFractionDigits: fraction, maximumFractionDigits: fraction });
}
