// One colour per margin mode, the same in every chart and table of a report (mid tones: readable on the
// light and the dark background).
export const MODE_COLORS: Record<string, string> = { isolated: '#2f9e44', cross: '#e03131', mixed: '#1c7ed6' };
export const modeColor = (mode: string): string => MODE_COLORS[mode] ?? '#868e96';
