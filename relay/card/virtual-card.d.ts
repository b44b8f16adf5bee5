/** The confirmation card's HTML, made at build time by relay/card/card-html.mjs. */
declare module 'virtual:hospiai-confirmation-card' {
  const html: string;
  export default html;
}
