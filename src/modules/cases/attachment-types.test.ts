import { describe, expect, it } from "vitest";
import { checkFileType, cleanFilename, contentDisposition } from "./attachment-types.ts";
import { caseNumberInQuery, formatCaseNumber, parseCaseNumber } from "./case-number.ts";

const bytes = (...b: number[]) => Buffer.from(b);
const text = (s: string) => Buffer.from(s, "utf8");
const PNG = bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13);
const JPEG = bytes(0xff, 0xd8, 0xff, 0xe0, 0, 16);
const PDF = text("%PDF-1.7\n%âãÏÓ\n");
const ZIP = bytes(0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0);
const OLE = bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0);

describe("checkFileType", () => {
  it.each([
    ["image/png", PNG, "image/png"],
    ["IMAGE/PNG; name=x.png", PNG, "image/png"],
    ["image/jpeg", JPEG, "image/jpeg"],
    ["image/gif", text("GIF89a...."), "image/gif"],
    ["application/pdf", PDF, "application/pdf"],
    ["application/zip", ZIP, "application/zip"],
    ["application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP, undefined],
    ["application/msword", OLE, "application/msword"],
    ["text/plain", text("Hello,\r\nthe printer is on fire.\n"), "text/plain"],
    ["text/csv", text("id,name\n1,Zoë\n"), "text/csv"],
    ["text/csv", Buffer.from("id;name\n1;Bj\xf6rk\n", "latin1"), "text/csv"],
    ["application/octet-stream", PNG, "image/png"],
    [undefined, PDF, "application/pdf"],
    ["", text("plain words"), "text/plain"],
  ])("accepts %s", (declared, buf, expected) => {
    const result = checkFileType(declared, buf);
    expect(result).toEqual({ ok: true, contentType: expected ?? declared });
  });

  it.each([
    ["image/png", text("<html><script>alert(1)</script></html>"), "mismatch"],
    ["image/jpeg", PNG, "mismatch"],
    ["application/pdf", ZIP, "mismatch"],
    ["text/plain", PNG, "mismatch"],
    ["text/plain", ZIP, "mismatch"],
    ["text/csv", bytes(0x41, 0x00, 0x42), "mismatch"],
    ["text/html", text("<p>hi</p>"), "unsupported"],
    ["image/svg+xml", text("<svg/>"), "unsupported"],
    ["application/x-msdownload", text("MZ"), "unsupported"],
    ["application/octet-stream", bytes(0x7f, 0x45, 0x4c, 0x46, 0x00), "unsupported"],
    ["image/png", Buffer.alloc(0), "empty"],
  ])("refuses %s with %s", (declared, buf, reason) => {
    const result = checkFileType(declared, buf);
    expect(result.ok).toBe(false);
    expect(result.ok ? undefined : result.reason).toBe(reason);
  });
});

describe("filenames", () => {
  it.each([
    ["report.pdf", "report.pdf"],
    ["../../etc/passwd", "passwd"],
    ["C:\\Users\\me\\photo.png", "photo.png"],
    ['a"b\\c\u0000d.txt', "cd.txt"],
    ["", "attachment"],
    [undefined, "attachment"],
    ["..", "attachment"],
  ])("cleans %j to %j", (raw, clean) => {
    expect(cleanFilename(raw)).toBe(clean);
  });

  it("keeps the extension of an over-long name", () => {
    const name = cleanFilename(`${"x".repeat(300)}.pdf`);
    expect(name.length).toBe(200);
    expect(name.endsWith(".pdf")).toBe(true);
  });

  it("writes an RFC 6266 Content-Disposition with an ASCII fallback", () => {
    expect(contentDisposition("Rechnung März.pdf")).toBe(
      "attachment; filename=\"Rechnung M_rz.pdf\"; filename*=UTF-8''Rechnung%20M%C3%A4rz.pdf",
    );
  });
});

describe("case numbers", () => {
  it.each([
    [1, "CS-000001"],
    [1234, "CS-001234"],
    [999_999, "CS-999999"],
    [1_234_567, "CS-1234567"],
  ])("%i is %s", (n, s) => {
    expect(formatCaseNumber(n)).toBe(s);
    expect(parseCaseNumber(s)).toBe(n);
  });

  it("reads loose spellings but only an explicit CS- inside a search", () => {
    expect(parseCaseNumber("cs-42")).toBe(42);
    expect(parseCaseNumber("42")).toBe(42);
    expect(parseCaseNumber("CS-0")).toBeUndefined();
    expect(parseCaseNumber("printer")).toBeUndefined();
    expect(caseNumberInQuery("CS-001234")).toBe(1234);
    expect(caseNumberInQuery("1234")).toBeUndefined();
  });
});
