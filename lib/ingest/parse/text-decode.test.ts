import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { parseDocument } from ".";
import { ParseError } from "../types";
import { decodeText, looksBinary, scanUtf8 } from "./text-decode";

const parse = (path: string, bytes: Uint8Array) => parseDocument({ path, bytes, maxBytes: 1024 * 1024 });

function decodeError(bytes: Uint8Array): ParseError {
  try {
    decodeText(bytes);
  } catch (err) {
    if (err instanceof ParseError) return err;
    throw err;
  }
  throw new Error("expected decodeText to fail");
}

describe("text encodings", () => {
  it("reads windows-1252 with curly quotes, dashes and accents", async () => {
    const source = "Le caf\u00e9 \u201cChez Ren\u00e9\u201d \u2014 na\u00efve cr\u00e8me br\u00fbl\u00e9e, \u2018tr\u00e8s\u2019 bien. Voil\u00e0!";
    const doc = await parse("menu.txt", iconv.encode(source, "windows-1252"));
    expect(doc).toMatchObject({ text: source, encoding: "windows-1252" });
  });

  it("reads UTF-16 with a byte-order mark, little- and big-endian, and UTF-16LE without one", async () => {
    const source = "Gr\u00fc\u00dfe aus K\u00f6ln \u2014 \u6771\u4eac";
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(source, "utf16le")]);
    expect(await parse("le.txt", le)).toMatchObject({ text: source, encoding: "utf-16le" });
    expect(await parse("be.md", iconv.encode(source, "utf-16be", { addBOM: true }))).toMatchObject({ text: source, encoding: "utf-16be" });
    expect(await parse("nobom.txt", Buffer.from("Plain ASCII saved as UTF-16", "utf16le"))).toMatchObject({ encoding: "utf-16le", text: "Plain ASCII saved as UTF-16" });
  });

  it("drops a UTF-8 byte-order mark", async () => {
    const doc = await parse("bom.csv", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("name,city\nZo\u00eb,M\u00fcnchen\n")]));
    expect(doc).toMatchObject({ text: "name: Zo\u00eb; city: M\u00fcnchen", encoding: "utf-8" });
  });

  it("reads legacy multi-byte and Cyrillic encodings that chardet recognises", async () => {
    const japanese = "\u3053\u308c\u306f\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8\u3067\u3059\u3002\u6771\u4eac\u90fd\u306b\u4f4f\u3093\u3067\u3044\u307e\u3059\u3002";
    expect(await parse("jp.txt", iconv.encode(japanese, "shift_jis"))).toMatchObject({ text: japanese, encoding: "shift_jis" });
    const russian =
      "\u0421\u044a\u0435\u0448\u044c \u0436\u0435 \u0435\u0449\u0451 \u044d\u0442\u0438\u0445 \u043c\u044f\u0433\u043a\u0438\u0445 \u0444\u0440\u0430\u043d\u0446\u0443\u0437\u0441\u043a\u0438\u0445 \u0431\u0443\u043b\u043e\u043a, \u0434\u0430 \u0432\u044b\u043f\u0435\u0439 \u0447\u0430\u044e. " +
      "\u0428\u0438\u0440\u043e\u043a\u0430\u044f \u044d\u043b\u0435\u043a\u0442\u0440\u0438\u0444\u0438\u043a\u0430\u0446\u0438\u044f \u044e\u0436\u043d\u044b\u0445 \u0433\u0443\u0431\u0435\u0440\u043d\u0438\u0439 \u0434\u0430\u0441\u0442 \u043c\u043e\u0449\u043d\u044b\u0439 \u0442\u043e\u043b\u0447\u043e\u043a \u043f\u043e\u0434\u044a\u0451\u043c\u0443 \u0441\u0435\u043b\u044c\u0441\u043a\u043e\u0433\u043e \u0445\u043e\u0437\u044f\u0439\u0441\u0442\u0432\u0430.";
    expect(await parse("ru.txt", iconv.encode(russian, "windows-1251"))).toMatchObject({ text: russian, encoding: "windows-1251" });
    expect(await parse("ru-koi.txt", iconv.encode(russian, "koi8-r"))).toMatchObject({ text: russian, encoding: "koi8-r" });
  });

  it("rejects a one-line KOI8-R note rather than indexing chardet's wrong guess (Shift_JIS) as mojibake", async () => {
    const line = "\u0421\u044a\u0435\u0448\u044c \u0436\u0435 \u0435\u0449\u0451 \u044d\u0442\u0438\u0445 \u043c\u044f\u0433\u043a\u0438\u0445 \u0431\u0443\u043b\u043e\u043a.";
    await expect(parse("note.txt", iconv.encode(line, "koi8-r"))).rejects.toMatchObject({ reason: "encoding" });
  });

  it("reads stray high bytes in otherwise ASCII text as Latin-1 (indistinguishable from legacy letters)", async () => {
    const bytes = Buffer.concat([Buffer.from("Hello world, this is text "), Buffer.from([0xff, 0xfe, 0xfd]), Buffer.from(" and more text here.")]);
    expect(await parse("stray.txt", bytes)).toMatchObject({ text: "Hello world, this is text \u00ff\u00fe\u00fd and more text here.", encoding: "iso-8859-1" });
    // Too short for chardet to place: the windows-1252 fallback for mostly-ASCII text still reads it.
    expect(decodeText(iconv.encode("caf\u00e9 ok ok ok", "windows-1252"))).toEqual({ text: "caf\u00e9 ok ok ok", encoding: "windows-1252" });
  });

  it("keeps a UTF-8 file with a rare invalid byte as UTF-8, replacing just that byte", async () => {
    const bytes = Buffer.concat([Buffer.from("Caf\u00e9 cr\u00e8me, na\u00efve r\u00e9sum\u00e9 ".repeat(10)), Buffer.from([0xff]), Buffer.from(" end \u00e9t\u00e9.")]);
    const doc = await parse("mostly-utf8.txt", bytes);
    expect(doc.encoding).toBe("utf-8");
    expect(doc.text).toContain("r\u00e9sum\u00e9 \ufffd end \u00e9t\u00e9.");
  });

  it("rejects a UTF-8 file with many invalid bytes as an encoding problem, saying where", async () => {
    const parts: Buffer[] = [];
    for (let i = 0; i < 10; i++) parts.push(Buffer.from("na\u00efve caf\u00e9 "), Buffer.from([0xff]));
    const err = decodeError(Buffer.concat(parts));
    expect(err.reason).toBe("encoding");
    expect(err.message).toMatch(/^The file is mostly UTF-8 but has 10 invalid byte sequences \(the first at byte 13\).*Re-save the file as UTF-8/);
  });

  it("rejects bytes that no encoding reads as text, with the offset of the first bad byte", async () => {
    const bytes = Buffer.alloc(600);
    for (let i = 0; i < bytes.length; i++) bytes[i] = [0x81, 0x8d, 0x8f, 0x90, 0x9d, 0x20][i % 6]!;
    await expect(parse("mystery.txt", bytes)).rejects.toMatchObject({
      reason: "encoding",
      message: expect.stringMatching(/^The file is not valid UTF-8 \(the first invalid byte is at offset 0\) and does not read as text in any legacy encoding/),
    });
  });

  it("rejects a UTF-16 byte-order mark followed by something that is not UTF-16 text", () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from([0x01, 0x00, 0x02, 0x00, 0x03, 0x00, 0x04, 0x00])]);
    expect(decodeError(bytes)).toMatchObject({ reason: "encoding", message: expect.stringMatching(/UTF-16LE byte-order mark but does not decode/) });
  });

  it("tells binary from text by NUL bytes and the share of control bytes", () => {
    expect(looksBinary(Buffer.from("plain text\twith tabs\r\nand an \u001b[1mANSI\u001b[0m escape\f"))).toBe(false);
    expect(looksBinary(Buffer.from("text with a \u0000 NUL"))).toBe(true);
    expect(looksBinary(Buffer.from(`${"a".repeat(100)}\u0001\u0002\u0003`))).toBe(true);
    expect(looksBinary(Buffer.from(`${"a".repeat(1000)}\u0001`))).toBe(false);
  });

  it("counts valid multi-byte and invalid UTF-8 sequences by RFC 3629 ranges", () => {
    expect(scanUtf8(Buffer.from("a\u00e9\u20ac\u{1f600}"))).toEqual({ validMultiByte: 3, invalid: 0, firstInvalid: -1 });
    // Overlong "/" (C0 AF), a surrogate (ED A0 80) and a lone continuation byte are all invalid.
    expect(scanUtf8(Buffer.from([0x41, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0x80]))).toEqual({ validMultiByte: 0, invalid: 6, firstInvalid: 1 });
  });
});
