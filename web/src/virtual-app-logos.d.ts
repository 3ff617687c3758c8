declare module 'virtual:app-logos' {
  const logos: Record<string, import('../app-logos.ts').AppLogo>;
  export default logos;
}
