export * from './src/hot';
