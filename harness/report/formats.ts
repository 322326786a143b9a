// The report files `baton verify --format` can write.
export const FORMATS = ['md', 'json', 'junit', 'html'];
