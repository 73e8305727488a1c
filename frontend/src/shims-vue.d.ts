// For tools that see the console through the plain TypeScript compiler (ESLint's type-aware rules): an
// import of a .vue file is a component. vue-tsc and Vite resolve the real files and their real types.
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}
