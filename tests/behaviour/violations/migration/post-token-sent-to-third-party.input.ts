import { NextRequest, NextResponse } from 'next/server'

const BRAIN_API_URL = process.env.BRAIN_API_URL || 'http://localhost:8000'
const SLACK_WEBHOOK_URL = process.env.SLACK_WEBHOOK_URL || ''

export async function POST(request: NextRequest) {
  const body = await request.json()
  const response = await fetch(`${BRAIN_API_URL}/api/marketing/leads/`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
  await fetch(SLACK_WEBHOOK_URL, { method: 'POST', body: JSON.stringify({ text: 'new lead' }) })
  return NextResponse.json(await response.json(), { status: response.status })
}
