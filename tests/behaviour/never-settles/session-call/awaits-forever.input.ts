// A handler whose promise never settles: the harness must say which one and fail, not pass.
export async function GET() {
  await new Promise(() => {})
  return new Response('never')
}
