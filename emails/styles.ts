/**
 * Shared inline styles for the email templates: sober, readable, high contrast
 * (dark text on white, links well above 4.5:1), no web fonts, no images.
 */
import type { CSSProperties } from "react";

export const body: CSSProperties = {
  backgroundColor: "#f3f4f6",
  color: "#1a1a1a",
  fontFamily: "Arial, Helvetica, sans-serif",
  fontSize: "16px",
  lineHeight: "1.5",
  margin: 0,
  padding: "24px 0",
};

export const container: CSSProperties = {
  backgroundColor: "#ffffff",
  border: "1px solid #d1d5db",
  borderRadius: "6px",
  maxWidth: "600px",
  margin: "0 auto",
  padding: "32px 28px",
};

export const brand: CSSProperties = {
  color: "#0b4f3c",
  fontSize: "14px",
  fontWeight: 700,
  letterSpacing: "0.04em",
  margin: "0 0 16px",
  textTransform: "uppercase",
};

export const heading: CSSProperties = {
  color: "#1a1a1a",
  fontSize: "24px",
  lineHeight: "1.3",
  margin: "0 0 16px",
};

export const subheading: CSSProperties = {
  color: "#1a1a1a",
  fontSize: "18px",
  lineHeight: "1.3",
  margin: "24px 0 8px",
};

export const text: CSSProperties = {
  color: "#1a1a1a",
  fontSize: "16px",
  lineHeight: "1.5",
  margin: "0 0 12px",
};

export const detailsBox: CSSProperties = {
  backgroundColor: "#f9fafb",
  border: "1px solid #d1d5db",
  borderRadius: "4px",
  padding: "12px 16px",
  margin: "16px 0",
};

export const detail: CSSProperties = {
  color: "#1a1a1a",
  fontSize: "16px",
  lineHeight: "1.5",
  margin: "0 0 4px",
};

export const notice: CSSProperties = {
  backgroundColor: "#ecfdf5",
  borderLeft: "4px solid #0b4f3c",
  color: "#1a1a1a",
  fontSize: "16px",
  lineHeight: "1.5",
  margin: "16px 0",
  padding: "12px 16px",
};

export const quote: CSSProperties = {
  borderLeft: "4px solid #6b7280",
  color: "#1a1a1a",
  fontStyle: "italic",
  margin: "8px 0 16px",
  padding: "4px 0 4px 12px",
};

export const link: CSSProperties = {
  color: "#0b4f9c",
  textDecoration: "underline",
};

export const hr: CSSProperties = {
  borderColor: "#d1d5db",
  margin: "24px 0",
};

export const footer: CSSProperties = {
  color: "#4b5563",
  fontSize: "14px",
  lineHeight: "1.5",
  margin: "0 0 8px",
};
