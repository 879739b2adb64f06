import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Infra-Watch", template: "%s · Infra-Watch" },
  description: "Monitoring for VM fleets",
  icons: { icon: { url: "/icon.svg", type: "image/svg+xml" } },
};
export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
