// Easel studio
