import next from "eslint-config-next/core-web-vitals";
import ts from "eslint-config-next/typescript";

const config = [
  { ignores: [".next/**", ".next-*/**", "dist/**", "data/**", "node_modules/**", "test-results/**", ".tmp/**", "next-env.d.ts"] },
  ...next,
  ...ts,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": ["error", { ignoreRestArgs: true }],
    },
  },
  { files: ["tests/**", "e2e/**", "scripts/**"], rules: { "@typescript-eslint/no-explicit-any": "off" } },
];

export default config;
