// Route and query parameters as positive integers (anything else is "absent").

export function positiveInt(value: string | null | undefined): number | undefined {
  if (!value || !/^\d{1,9}$/.test(value)) return undefined;
  const number = Number.parseInt(value, 10);
  return number > 0 ? number : undefined;
}
