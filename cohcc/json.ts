// Upstream's JSON form, as input: {schema_version, name, args:[{name,type}], body:[{op,dst,src[]}]}.
export function parseJsonModule(_src: string): never { throw new Error('todo'); }
