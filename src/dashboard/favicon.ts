/** The dashboard's icon, served by the gateway itself like everything else on the pages. */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#0d3b66"/><path d="M4 8h8M8 4v8" stroke="#fff" stroke-width="2"/></svg>`;
