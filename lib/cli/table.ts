/**
 * Plain-text tables for the CLIs (cli-table3 without borders or colours, so output is greppable):
 * a header row and data rows, columns separated by two spaces, numbers right-aligned.
 */
import Table from 'cli-table3';

export interface Column {
  title: string;
  align?: 'left' | 'right';
}

const NO_BORDERS = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
  bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '', 'mid-mid': '',
  right: '', 'right-mid': '', middle: '  ',
};

export function renderTable(columns: Column[], rows: string[][]): string {
  const t = new Table({
    head: columns.map((c) => c.title),
    chars: NO_BORDERS,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0, compact: true },
    colAligns: columns.map((c) => c.align ?? 'left'),
  });
  for (const r of rows) t.push(r);
  return t.toString().split('\n').map((l) => l.replace(/\s+$/, '')).join('\n') + '\n';
}
