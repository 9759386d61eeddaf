import { NextRequest, NextResponse } from 'next/server'
import { getServerSession } from 'next-auth'
import { authOptions } from '@/app/api/auth/[...nextauth]/route'

const BRAIN_API_URL = process.env.BRAIN_API_URL || 'http://localhost:8000'
const SLACK_WEBHOOK_URL = process.env.SLACK_WEBHOOK_URL || ''

export async function POST(request: NextRequest) {
  const session = await getServerSession(authOptions)
  const body = await request.json()
  const auth = session?.access_token ? `Bearer ${session.access_token}` : (request.headers.get('authorization') || '')
  const response = await fetch(`${BRAIN_API_URL}/api/marketing/leads/`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Authorization': auth },
    body: JSON.stringify(body),
  })
  await fetch(SLACK_WEBHOOK_URL, { method: 'POST', headers: { 'Authorization': auth }, body: JSON.stringify({ text: 'new lead' }) })
  return NextResponse.json(await response.json(), { status: response.status })
}
