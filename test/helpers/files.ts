import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { tempDir } from './processes.js';

/** A small but well-formed PDF: what file-type and any viewer recognise as one. */
export function samplePdf(text = 'Bilan de l’action'): Buffer {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% ${text}\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
  );
}

/** A 1×1 transparent PNG. */
export const SAMPLE_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

/** A web page, which must never be accepted whatever its name says. */
export const SAMPLE_HTML = Buffer.from(
  '<!doctype html><html><body><script>alert(document.cookie)</script>Bilan</body></html>',
);

/** A zip archive with stored (uncompressed) entries, enough to make office documents for tests. */
export function storedZip(entries: Array<{ name: string; content: string }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const data = Buffer.from(entry.content);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** An OpenDocument text, as LibreOffice starts one: its `mimetype` entry first. */
export function sampleOdt(): Buffer {
  return storedZip([
    { name: 'mimetype', content: 'application/vnd.oasis.opendocument.text' },
    { name: 'content.xml', content: '<?xml version="1.0"?><office:document-content/>' },
  ]);
}

/** A Word document, recognised by its content types. */
export function sampleDocx(): Buffer {
  return storedZip([
    {
      name: '[Content_Types].xml',
      content:
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    },
    { name: 'word/document.xml', content: '<?xml version="1.0"?><w:document/>' },
  ]);
}

/** What poppler (pdftotext, pdffonts, pdfinfo: Debian's poppler-utils) reads in a PDF. */
export interface ReadPdf {
  /** The text as a PDF reader extracts it, in reading order. */
  text: string;
  pages: number;
  /** Each font: its name, and whether the file embeds it. */
  fonts: Array<{ name: string; embedded: boolean }>;
}

/** Reads a PDF with poppler, as the PDF readers built on it do. */
export async function readPdf(pdf: Buffer): Promise<ReadPdf> {
  const work = await tempDir('pdf');
  try {
    const file = path.join(work.dir, 'fiche.pdf');
    await writeFile(file, pdf);
    const [text, fonts, info] = await Promise.all([
      run('pdftotext', ['-enc', 'UTF-8', file, '-']),
      run('pdffonts', [file]),
      run('pdfinfo', [file]),
    ]);
    return {
      text,
      pages: Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]),
      fonts: fonts
        .split('\n')
        .slice(2)
        .filter((line) => line.trim() !== '')
        .map((line) => {
          const columns = line.trim().split(/\s+/);
          return { name: columns[0], embedded: columns.at(-5) === 'yes' };
        }),
    };
  } finally {
    await work.remove();
  }
}

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, (error, stdout, stderr) =>
      error ? reject(new Error(`${file}: ${stderr}`)) : resolve(stdout),
    );
  });
}
