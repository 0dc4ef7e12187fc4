/** The fields of a tool that tools/list carries: what a pin keeps and hashes, what context cost counts, what the server lists. */
export interface ToolShape {
  name: string;
  title?: string;
  description?: string;
  inputSchema?: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
}
